#!/bin/bash
[ "$(docker run --rm -v notes:/data busybox cat /data/note.txt 2>/dev/null)" = kept ] || { echo "notes has no note.txt saying kept yet."; exit 1; }
echo "The note is in the volume."
