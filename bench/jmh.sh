#!/usr/bin/env bash
# Runs the JMH benchmarks of one module: bench/jmh.sh MODULE [JMH ARGS...]
# e.g. bench/jmh.sh net 'FlowTable.*' -f 1 -wi 3 -i 5
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/scripts/find-jdk.sh"
module=${1:?usage: bench/jmh.sh MODULE [JMH ARGS...]}; shift
cd "$root"
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -ntp -pl "$module" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
cp="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$cp_file")"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main "$@"
