#!/usr/bin/env bash
# Throughput and memory benchmark: piiscan beside ripgrep on a generated corpus, a 2 GiB
# single file and decompression bombs. All options: bench/throughput.sh --help
exec /usr/bin/python3 "$(dirname "$0")/throughput.py" "$@"
