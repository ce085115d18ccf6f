#!/usr/bin/env bash
# The main job: build the CLI and run the sandbox demo (no AWS account, no Jenkins).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -DskipTests package -pl cli -am
exec java -jar cli/target/ecs-deploy.jar demo "$@"
