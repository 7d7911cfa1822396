#!/usr/bin/env bash
# Start the local PostgreSQL and Redis that `make test` and CI use, if they are down.
# Idempotent: a no-op when both already answer on 127.0.0.1.
set -euo pipefail

# wait_for SECONDS CMD...: poll until CMD succeeds, since both servers start asynchronously.
wait_for() {
  local tries=$1; shift
  for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  return 1
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

if ! command -v pg_isready >/dev/null || ! command -v pg_ctlcluster >/dev/null; then
  echo "services-up: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1
fi
if ! pg_up; then
  # Newest installed major version; Debian keeps one cluster dir per version.
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "services-up: starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for 30 pg_up || { echo "services-up: PostgreSQL did not come up" >&2; exit 1; }
fi

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  echo "services-up: Redis is not installed (apt-get install redis-server)" >&2; exit 1
fi
if ! redis_up; then
  echo "services-up: starting Redis"
  # Nothing persisted: the tests treat Redis as a throwaway cache and broker.
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  wait_for 15 redis_up || { echo "services-up: Redis did not come up" >&2; exit 1; }
fi
echo "services-up: PostgreSQL and Redis are up"
