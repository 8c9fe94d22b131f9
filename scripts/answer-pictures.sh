#!/bin/sh
# Draws the README's pictures of answers: the golden payloads of
# adapters/slack/testdata/pictures and adapters/discord/testdata/pictures,
# laid out as HTML by internal/devtools/answershot, photographed by headless
# Chromium (Debian: apt-get install chromium fonts-noto-cjk). Not run by CI.
#
#   scripts/answer-pictures.sh [OUTDIR]     (default docs/images)
set -eu
out=${1:-docs/images}
command -v chromium >/dev/null || { echo "answer-pictures: chromium is not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go run ./internal/devtools/answershot -out "$work/html"
mkdir -p "$out"
for page in "$work"/html/*.html; do
	name=$(basename "$page" .html)
	# A tall window, then the picture cut to the page's height.
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$work/profile" --hide-scrollbars --force-device-scale-factor=1 \
		--window-size=752,4000 --screenshot="$work/$name.png" "file://$page" >/dev/null 2>&1
	go run ./internal/devtools/answershot/crop "$work/$name.png" "$out/$name.png"
	echo "$out/$name.png"
done
