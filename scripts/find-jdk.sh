# Sourced by ./vigil, ./run-tests and bench scripts: sets JAVA_HOME to a JDK 25 or exits with the fix.
vigil_find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    if "$candidate/bin/java" -version 2>&1 | grep -Eq 'version "25([.-]|")'; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  cat >&2 <<MSG
vigil: no JDK 25 found (looked at JAVA_HOME=${JAVA_HOME:-unset} and /usr/lib/jvm/*25*).
Install one, for example Temurin 25 from https://adoptium.net/installation/linux/ :
  sudo apt-get install -y temurin-25-jdk     # after adding the Adoptium apt repository
or point JAVA_HOME at an existing JDK 25.
MSG
  exit 1
}
vigil_find_jdk
