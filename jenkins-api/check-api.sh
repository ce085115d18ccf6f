#!/usr/bin/env bash
# Runs ../shared/jenkins-api/check on the stand-in with the options it needs (docs/jenkins-stand-in.md §1):
# passes the Guava and jakarta servlet jars the stand-in's supertypes live in. No --skip: our own helpers are not in
# target/classes after prepare-package (they ship in the `support` classifier jar, architecture.md D3).
# `mvn verify` of jenkins-api runs the same check (profile jenkins-api-check).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cp="$(cd "$here/.." && mvn -B -q -o -Dstyle.color=never -pl jenkins-api dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=compile)"
libs=()
IFS=':' read -ra jars <<< "$cp"
for j in "${jars[@]}"; do
  case "$(basename "$j")" in guava-*.jar|jakarta.servlet-api-*.jar) libs+=(--lib "$j") ;; esac
done
exec bash "$here/../../shared/jenkins-api/check" --no-warn "${libs[@]}" "$here/target/classes" "$@"
