#!/bin/sh
# demo.sh - import the bundled example feed into a demo blog (demo/site, or
# $DEMO_DIR/site), build it with Jekyll when it is installed, and say how to
# look at it.  The blog uses Debian's minima theme (examples/demo) when it
# is installed, else the plain example site (examples/site).
# M2J_BIN picks the binary (default build/medium2jekyll).
set -eu
cd "$(dirname "$0")/.."
demo=${DEMO_DIR:-demo}
bin=${M2J_BIN:-build/medium2jekyll}
rm -rf "$demo"
mkdir -p "$demo"
if command -v ruby >/dev/null 2>&1 && ruby -e 'gem "minima"' >/dev/null 2>&1; then
	cp -R examples/demo "$demo/site"
	theme="Debian's minima theme"
else
	cp -R examples/site "$demo/site"
	theme="the plain example site (for minima: sudo apt-get install jekyll-theme-minima)"
fi
status=0
"$bin" import fixtures/golden/medium-antlerboy.xml --author 100047 \
	-o "$demo/site/_posts" || status=$?
echo
echo "Posts: $demo/site/_posts/"
ls -1 "$demo/site/_posts" | sed 's/^/  /'
if command -v jekyll >/dev/null 2>&1; then
	if (cd "$demo/site" && jekyll build --quiet -d _site >"../jekyll.log" 2>&1); then
		echo "Built with $theme into $demo/site/_site/."
		echo "Look at it served (its links break when its pages are opened as files):"
		echo "  jekyll serve --host 127.0.0.1 -s $demo/site -d $demo/site/_site"
		echo "  then open http://127.0.0.1:4000/"
	else
		echo "jekyll build failed: see $demo/jekyll.log" >&2
		status=1
	fi
else
	echo "(install Debian's jekyll to build the site: sudo scripts/deps.sh demo)"
fi
exit $status
