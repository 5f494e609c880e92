/**
 * What a terminal widget is doing, for the view:
 * - connecting: first connection under way
 * - connected: attached to the shell
 * - reconnecting: the connection dropped unexpectedly; trying again with backoff
 * - exited: the shell ended; Enter starts a new one
 * - disconnected: reconnecting gave up; Enter tries again
 * - ended: the session or instance is gone (close code 4404 or 4410); nothing more will happen
 */
export type TerminalStatus = 'connecting' | 'connected' | 'reconnecting' | 'exited' | 'disconnected' | 'ended';
