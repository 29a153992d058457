# A throw-away clickhouse-server on loopback for compat scripts (Debian's 18.16: the legacy
# <yandex> config). Source after common.bash.

# Installs clickhouse-server and clickhouse-client when missing; returns 1 when they cannot be
# installed (the caller skips).
ensure_clickhouse() {
  command -v clickhouse-server >/dev/null 2>&1 && return 0
  ensure_packages clickhouse-server clickhouse-client 2>/dev/null && command -v clickhouse-server >/dev/null 2>&1
}

# start_clickhouse DIR HTTP_PORT TCP_PORT [USERS_XML]: writes its config under DIR, starts it in the
# background (pid in CH_PID) and waits until it answers. USERS_XML holds extra <users> entries
# beside `default` (no password, loopback only).
start_clickhouse() {
  local dir=$1 http_port=$2 tcp_port=$3 users=${4:-}
  mkdir -p "$dir/tmp" "$dir/user_files"
  cat >"$dir/config.xml" <<XML
<yandex>
  <logger><level>warning</level><log>$dir/server.log</log><errorlog>$dir/server.err.log</errorlog></logger>
  <http_port>$http_port</http_port>
  <tcp_port>$tcp_port</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$dir/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size>
</yandex>
XML
  cat >"$dir/users.xml" <<XML
<yandex>
  <profiles><default></default></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
    $users
  </users>
  <quotas><default></default></quotas>
</yandex>
XML
  clickhouse-server --config-file="$dir/config.xml" >"$dir/stdout.log" 2>&1 &
  CH_PID=$!
  if ! wait_http "http://127.0.0.1:$http_port/ping" 60; then
    tail -20 "$dir/stdout.log" "$dir/server.err.log" 2>/dev/null >&2
    return 1
  fi
}
