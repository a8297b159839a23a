"""The guide's own tooling: the site's macros and `console` fence, the two builders and
their comparison, and the doc-test engine that runs or validates every code block of
the guide.

Not shipped: the wheel holds `cachebust` only (`[tool.hatch.build.targets.wheel]`).
The editable install (`make install`) puts `src/` on `sys.path`, so `mkdocs.yml` and
pytest (`-p guidetools.pytest_plugin`) import it from the checkout.
"""
