#!/usr/bin/env bash
# Runs the Jenkins API check on the stand-in with the options it needs (docs/jenkins-stand-in.md "1. jenkins-api/"):
# passes the Guava and jakarta servlet jars the stand-in's supertypes live in. No --skip: our own helpers are not in
# target/classes after prepare-package (they ship in the `support` classifier jar, architecture.md D3).
# `mvn verify` of jenkins-api runs the same check (profile jenkins-api-check).
# The checker and the real Jenkins API signatures are not part of this repository (CONTRIBUTING.md "The Jenkins API
# check"): they sit beside it in CI. A clone on its own skips the check and says so; CI, which has the checker, runs
# it and fails on any mismatch. ECS_DEPLOY_API_CHECK=/path/to/check points at a checker elsewhere;
# ECS_DEPLOY_REQUIRE_API_CHECK=1 turns a missing checker into a failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
checker="${ECS_DEPLOY_API_CHECK:-$here/../../shared/jenkins-api/check}"
if [ ! -f "$checker" ]; then
  msg="Jenkins API check SKIPPED: no checker at $checker (it is not part of this repository; CI has it beside the clone, see CONTRIBUTING.md)"
  if [ "${ECS_DEPLOY_REQUIRE_API_CHECK:-}" = 1 ]; then
    echo "check-api: FAILED: ${msg#Jenkins API check SKIPPED: }" >&2
    exit 1
  fi
  echo "check-api: $msg"
  exit 0
fi
cp="$(cd "$here/.." && mvn -B -q -o -Dstyle.color=never -pl jenkins-api dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=compile)"
libs=()
IFS=':' read -ra jars <<< "$cp"
for j in "${jars[@]}"; do
  case "$(basename "$j")" in guava-*.jar|jakarta.servlet-api-*.jar) libs+=(--lib "$j") ;; esac
done
exec bash "$checker" --no-warn "${libs[@]}" "$here/target/classes" "$@"
