// The sandbox contract (see sandbox/README.md): what the server may rely on of a sandbox image,
// defined once, here. The image's files (sandbox/rootfs) hold the other side of it.

/** Env var the sandbox reads: each URL in it (separated by spaces) becomes a --registry-mirror of its dockerd, in order. */
export const SANDBOX_REGISTRY_MIRROR_ENV = 'REGISTRY_MIRROR';
/** Where the sandbox's nested Docker keeps its data: mount a named volume here (required). */
export const SANDBOX_DOCKER_DATA_PATH = '/var/lib/docker';
/** The one stdout line a sandbox prints when its nested dockerd answers. */
export const SANDBOX_READY_LINE = 'PLAYGROUND_SANDBOX_READY';
/** Prefix of the line a sandbox prints when its nested dockerd failed (followed by a reason). */
export const SANDBOX_FAILED_PREFIX = 'PLAYGROUND_SANDBOX_FAILED:';
/** Exists inside the sandbox once the nested dockerd answers. */
export const SANDBOX_READY_FILE = '/run/playground/ready';
/** Exists inside the sandbox (holding the reason) when the nested dockerd failed. */
export const SANDBOX_FAILED_FILE = '/run/playground/failed';
/**
 * The interactive shell to exec (with a TTY and TERM=xterm-256color), followed by the shell's name:
 * the sandbox keeps the login shell of that name running when the exec goes, and the same command
 * attaches to it again (sandbox/README.md, "Shells").
 */
export const SANDBOX_SHELL_COMMAND: readonly string[] = ['/usr/local/bin/playground-shell'];
/** Ends the kept shell of the name that follows (its tab was closed). */
export const SANDBOX_END_SHELL_COMMAND: readonly string[] = ['/usr/local/bin/playground-shell', '--end'];
/** Prints the exit status of the kept shell of the name that follows, once it has exited. */
export const SANDBOX_SHELL_STATUS_COMMAND: readonly string[] = ['/usr/local/bin/playground-shell', '--status'];
/** What the shell command prints as it attaches, before the shell's own output: a screen clear. */
export const SANDBOX_SHELL_ATTACH_NOISE = Buffer.from('\x1b[H\x1b[J');
/**
 * The shell command's exit code when the login shell exited: the holder ends the client with
 * SIGKILL, and SANDBOX_SHELL_STATUS_COMMAND has the login shell's own status.
 */
export const SANDBOX_SHELL_ENDED_EXIT_CODE = 137;
export const SANDBOX_WORKING_DIR = '/root';

/** Where a session's own registry answers (`docker login registry:5000`), from its instances (a network alias on the session network). */
export const SESSION_REGISTRY_HOST = 'registry:5000';
export const SESSION_REGISTRY_USER = 'student';

