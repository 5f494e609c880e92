# Login shells (the server starts `bash -l`) wait until the sandbox's Docker engine is ready, so the
# first command typed can use it. Bounded: gives up after 60 s with a warning; stops at once when
# the sandbox reports that Docker failed. See sandbox/README.md.
if [ -d /run/playground ] && [ ! -e /run/playground/ready ]; then
  if [ ! -e /run/playground/failed ]; then
    echo "Starting Docker..."
    _pg_end=$((SECONDS + 60))
    while [ ! -e /run/playground/ready ] && [ ! -e /run/playground/failed ] && [ "$SECONDS" -lt "$_pg_end" ]; do
      sleep 0.1
    done
    unset _pg_end
  fi
  if [ -e /run/playground/failed ]; then
    echo "Warning: Docker failed to start: $(cat /run/playground/failed 2>/dev/null). See /var/log/dockerd.log." >&2
  elif [ ! -e /run/playground/ready ]; then
    echo "Warning: Docker is still not ready after 60 s. See /var/log/dockerd.log." >&2
  fi
fi
