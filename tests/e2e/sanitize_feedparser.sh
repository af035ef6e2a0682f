#!/bin/sh
# feedparser's 557 sanitizer test feeds (fixtures/feedparser-sanitize/),
# issue 8.  Each feed goes through both ways into a post:
#   import   a copy with a dc:date added to the item (feedparser's feeds
#            have no dates; a distinct day per feed names its post), all in
#            one import call;
#   convert  the item's HTML body, read the way feedparser reads it (this
#            also covers bodies our feed reader does not take, such as
#            <fullitem> or an un-namespaced <body>).
# Every post body and converted body is rendered by kramdown the way Jekyll
# renders it (one Ruby process), the post's title is taken as raw HTML (a
# theme may write {{ page.title }} unescaped), and all of it is scanned with
# an HTML parser (tests/e2e/scan_html.py): nothing executable.  Where
# feedparser's expected value has visible text, our converted body must
# show it too, in at least 95% of those feeds; misses are listed (MISS:).
set -u
. "$M2J_ROOT/tests/e2e/lib.sh"
fix=$M2J_ROOT/fixtures/feedparser-sanitize
scan=$M2J_ROOT/tests/e2e/scan_html.py
if ! command -v python3 >/dev/null 2>&1; then
	skip "sanitize feedparser" "python3 not found"
	finish
fi
if ! command -v ruby >/dev/null 2>&1 ||
	! ruby -e 'require "kramdown"; require "kramdown-parser-gfm"' 2>/dev/null; then
	skip "sanitize feedparser" "ruby with kramdown and kramdown-parser-gfm not installed (apt-get install ruby-kramdown ruby-kramdown-parser-gfm)"
	finish
fi

# the scanner itself must see what it looks for
cat >"$WORK/bad.html" <<'HTML'
<p><a href="jav&#x09;ascript:alert(1)">a</a><img src=x onerror=alert(1)>
<a href=" &#14; VBScript:x">b</a><iframe src="https://evil.example/"></iframe>
<div style="x">c</div><a href="data:text/html,x">d</a><svg></svg><sCrIpT>x</script>
<object data=x></object><embed src=x><form action=x><button formaction=x>e</button></form>
<meta http-equiv="refresh" content="0;url=x"><base href=x><link rel=import href=x>
<iframe srcdoc="x" src="https://www.youtube.com/embed/x"></iframe><math></math></p>
HTML
cat >"$WORK/good.html" <<'HTML'
<p><a href="https://example.org/a?b=1&amp;c=2">a</a> <a href="/rel">r</a> <a href="mailto:x@example.org">m</a>
<img src="data:image/png;base64,iVBORw0KGgo=" alt="p"> <img src="//example.org/i.png" alt="i">
<iframe src="https://www.youtube.com/embed/abc" allowfullscreen></iframe>
<iframe src="https://medium.com/media/0123abcd/href"></iframe> javascript:alert(1) as text &lt;script&gt;</p>
HTML
nbad=$(python3 "$scan" scan "$WORK/bad.html" | wc -l)
[ "$nbad" -ge 18 ] && pass "sanitize: scanner finds every planted problem" ||
	fail "sanitize: scanner finds every planted problem" "$(python3 "$scan" scan "$WORK/bad.html")"
python3 "$scan" scan "$WORK/good.html" >"$WORK/good.out" &&
	pass "sanitize: scanner accepts safe markup" || fail "sanitize: scanner accepts safe markup" "$(cat "$WORK/good.out")"

python3 "$scan" prepare "$fix/sanitize.tsv" "$fix/entries" "$WORK" || {
	fail "sanitize: prepare" "scan_html.py prepare failed"
	finish
}
n=$(wc -l <"$WORK/index.tsv")
[ "$n" -eq 557 ] && pass "sanitize: 557 feeds" || fail "sanitize: 557 feeds" "$n rows"

# import, all in one call
"$M2J_BIN" import "$WORK"/dated/*.xml -o "$WORK/posts" -q >"$WORK/import.out" 2>"$WORK/import.err"
rc=$?
written=$(find "$WORK/posts" -name '*.md' 2>/dev/null | wc -l)
if [ "$rc" -eq 0 ] && [ "$written" -eq "$n" ]; then
	pass "sanitize: import writes a post for every feed"
else
	fail "sanitize: import writes a post for every feed" \
		"exit $rc, $written posts; $(head -5 "$WORK/import.err")"
fi

# convert each body, two at a time
mkdir -p "$WORK/conv"
ls "$WORK/html" | sed 's/\.html$//' >"$WORK/stems"
xargs -P 2 -I '{}' sh -c '"$1" convert "$2/html/$3.html" >"$2/conv/$3.md" 2>"$2/conv/$3.err" ||
	echo "$3: exit $?" >>"$2/conv/$3.fail"' sh "$M2J_BIN" "$WORK" '{}' <"$WORK/stems"
nfail=$(cat "$WORK"/conv/*.fail 2>/dev/null | wc -l)
[ "$nfail" -eq 0 ] && pass "sanitize: convert succeeds on every body" ||
	fail "sanitize: convert succeeds on every body" "$(cat "$WORK"/conv/*.fail | head -5)"
grep -l 'ERROR: \|runtime error' "$WORK"/conv/*.err >/dev/null 2>&1 &&
	fail "sanitize: convert runs clean under the sanitizers" "$(grep -l 'ERROR: \|runtime error' "$WORK"/conv/*.err | head -3)"

# render with kramdown as Jekyll does: Jekyll's own converter when the jekyll
# gem is there, else kramdown with Jekyll 4's defaults
ls "$WORK"/posts/*.md "$WORK"/conv/*.md >"$WORK/md.list" 2>/dev/null
ruby - "$WORK/md.list" >"$WORK/render.log" 2>&1 <<'RUBY'
require "yaml"
require "date"
begin
  require "jekyll"
  conv = Jekyll::Converters::Markdown::KramdownParser.new(Jekyll::Configuration.from({}))
  render = ->(md) { conv.convert(md) }
rescue LoadError
  require "kramdown"
  require "kramdown-parser-gfm"
  opts = { input: "GFM", hard_wrap: false, auto_ids: true, footnote_nr: 1,
           entity_output: :as_char, toc_levels: (1..6).to_a,
           smart_quotes: %w[lsquo rsquo ldquo rdquo], guess_lang: true }
  render = ->(md) { Kramdown::Document.new(md, opts).to_html }
end
File.readlines(ARGV[0], chomp: true).each do |path|
  text = File.read(path, encoding: "UTF-8")
  base = path.sub(/\.md\z/, "")
  if text.start_with?("---\n") && (m = text.match(/\A---\n(.*?\n)---\n/m))
    fm = YAML.safe_load(m[1], permitted_classes: [Date, Time]) || {}
    File.write(base + ".title", fm["title"].to_s)
    text = m.post_match
  end
  File.write(base + ".html", render.call(text))
rescue StandardError => e
  puts "#{path}: #{e.class}: #{e.message}"
end
RUBY
[ -s "$WORK/render.log" ] && fail "sanitize: kramdown renders every post" "$(head -5 "$WORK/render.log")" ||
	pass "sanitize: kramdown renders every post"

python3 "$scan" feedparser "$fix/sanitize.tsv" "$WORK" >"$WORK/report" 2>&1
cat "$WORK/report"
grep -q '^FAIL: ' "$WORK/report" && FAILED=$((FAILED + 1))
grep -q '^INFO: survival' "$WORK/report" || fail "sanitize: report" "scan_html.py feedparser did not finish"
finish
