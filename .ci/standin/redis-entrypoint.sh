#!/bin/sh
# As the official redis image's entrypoint: redis-server given no config
# file runs with protected mode off, so other containers may connect;
# anything else runs as given.
set -e
if [ "$1" = redis-server ]; then
	case "$2" in
	*.conf) ;;
	*) set -- "$@" --protected-mode no ;;
	esac
fi
exec "$@"
