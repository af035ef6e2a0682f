#!/bin/sh
# demo.sh - import the bundled example feed into a copy of the example site
# (demo/site), build it with Jekyll when it is installed, and say where the
# posts and the pages are.
set -eu
cd "$(dirname "$0")/.."
rm -rf demo
mkdir -p demo
cp -R examples/site demo/site
status=0
build/medium2jekyll import fixtures/golden/medium-antlerboy.xml --author 100047 \
	-o demo/site/_posts || status=$?
echo
echo "Posts: $PWD/demo/site/_posts/"
ls -1 demo/site/_posts | sed 's/^/  /'
if command -v jekyll >/dev/null 2>&1; then
	if (cd demo/site && jekyll build --quiet -d _site >/dev/null 2>&1); then
		page=$(ls -d demo/site/_site/2022/02/02/*/ 2>/dev/null | head -1)
		echo "Built site: $PWD/demo/site/_site/index.html"
		[ -n "$page" ] && echo "A post:     $PWD/${page}index.html"
	else
		echo "jekyll build failed (run it in demo/site to see why)" >&2
		status=1
	fi
else
	echo "(install Debian's jekyll to build the site: apt-get install jekyll)"
fi
exit $status
