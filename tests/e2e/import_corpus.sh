#!/bin/sh
# Every feed of the shared corpus (../shared/corpus/feeds, when present)
# imports under the sanitizer build: no sanitizer report, no leak; a
# well-formed feed gives one post per item that is not a response (the
# response count is what -v reports); a malformed one ends with a clear
# message and no file; every post's front matter reads back to the
# expected keys.
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
corpus=""
for d in "$M2J_ROOT/../shared/corpus/feeds" /work/shared/corpus/feeds; do
	[ -f "$d/MANIFEST.tsv" ] && { corpus=$d; break; }
done
if [ -z "$corpus" ]; then
	skip "corpus" "../shared/corpus/feeds not present"
	finish
fi
tail -n +2 "$corpus/MANIFEST.tsv" | while IFS="$(printf '\t')" read -r file repo path commit gen items bytes wf notes; do
	out="$WORK/$file"
	"$M2J_BIN" import "$corpus/$file" -v -o "$out" >"$WORK/o" 2>"$WORK/e"
	rc=$?
	if grep -q "Sanitizer\|LeakSanitizer\|runtime error" "$WORK/e"; then
		fail "corpus: $file: sanitizer" "$(grep -m3 'Sanitizer\|runtime error' "$WORK/e")"
		continue
	fi
	n=$(ls "$out" 2>/dev/null | wc -l)
	resp=$(grep -c "a response, skipped" "$WORK/e")
	if [ "$rc" -eq 0 ]; then
		if [ $((n + resp)) -eq "$items" ]; then
			pass "corpus: $file: $n posts + $resp responses = $items items"
		else
			fail "corpus: $file: posts" "$n posts + $resp responses != $items items (wellformed=$wf)"
		fi
	elif [ "$wf" = "no" ] || [ "$items" -eq 0 ]; then
		if [ "$n" -eq 0 ] && grep -q "$file" "$WORK/e"; then
			pass "corpus: $file: malformed, refused: $(head -c 150 "$WORK/e" | tr '\n' ' ')"
		else
			fail "corpus: $file: malformed" "rc=$rc n=$n $(head -c 300 "$WORK/e")"
		fi
	else
		fail "corpus: $file: import" "rc=$rc: $(grep -v '^medium2jekyll: [^e]' "$WORK/e" | head -c 400)"
	fi
	[ "$n" -gt 0 ] && echo "$out"/*.md >>"$WORK/all-posts"
done
if command -v ruby >/dev/null 2>&1 && [ -s "$WORK/all-posts" ]; then
	# shellcheck disable=SC2046
	if ruby -ryaml -rdate -e '
		bad = 0
		ARGV.each do |f|
			fm = File.read(f, encoding: "UTF-8").split(/^---\s*$/, 3)[1]
			h = YAML.safe_load(fm, permitted_classes: [Time, Date])
			k = h.keys - ["original_link", "guid"]
			next bad += 1 if h.key?("guid") && !h["guid"].is_a?(String)
			unless k == %w[layout title date] && h["title"].is_a?(String) && h["date"].is_a?(Time)
				puts "#{f}: #{h.keys.inspect}"; bad += 1
			end
		end
		puts "#{ARGV.size} posts read"
		exit(bad == 0 ? 0 : 1)' $(cat "$WORK/all-posts") >"$WORK/yaml.out" 2>&1; then
		pass "corpus: every front matter reads back with the expected keys ($(tail -1 "$WORK/yaml.out"))"
	else
		fail "corpus: front matter reads back" "$(head -c 800 "$WORK/yaml.out")"
	fi
fi
finish
