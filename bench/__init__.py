"""`make bench`: the figures that keep the guide fast, each beside a baseline.

Run as `.venv/bin/python -m bench` (after `scripts/bench-packages`, which installs the
pinned Lighthouse into bench/node_modules). Every figure is one line,
`name: value (ratio to baseline)`. Not part of `make test`: figures are for people.
"""
