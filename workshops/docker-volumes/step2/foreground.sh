echo "waiting for busybox"; for i in $(seq 1 60); do [ -f /tmp/busybox-ready ] && break; sleep 1; done; echo "busybox is ready"
