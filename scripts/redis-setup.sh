#!/usr/bin/env bash
# Start a Redis server on loopback for the cache (CACHE_URL=redis://127.0.0.1:6379/0) unless one answers already.
# Safe to run again. Needs the redis-server package (Debian: apt-get install redis-server).
#   REDIS_PORT names the port (default 6379). Nothing is saved to disk: the cache holds nothing that is not
#   rebuilt from the database.
set -euo pipefail
port=${REDIS_PORT:-6379}
if redis-cli -p "$port" ping >/dev/null 2>&1; then
  echo "Redis answers on 127.0.0.1:$port."
  exit 0
fi
command -v redis-server >/dev/null 2>&1 || { echo "redis-server is not installed (apt-get install redis-server)." >&2; exit 1; }
redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
  --maxmemory 256mb --maxmemory-policy allkeys-lru >/dev/null
for _ in $(seq 1 30); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && { echo "Redis started on 127.0.0.1:$port."; exit 0; }
  sleep 0.2
done
echo "Redis did not answer on 127.0.0.1:$port." >&2
exit 1
