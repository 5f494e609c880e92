#!/bin/bash
# Ready busybox while the learner reads, then leave a mark the foreground waits for.
docker pull -q busybox > /dev/null 2>&1
touch /tmp/busybox-ready
