#!/bin/bash
[ "$(cat /root/note-copy.txt 2>/dev/null)" = kept ] || { echo "/root/note-copy.txt should hold what the second container read (kept)."; exit 1; }
