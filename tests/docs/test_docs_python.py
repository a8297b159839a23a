"""Python blocks run as a reader runs them: as scripts, in a fresh namespace, against the
fake through KOYEB_URL, a `continuation` block after the previous one, and a failure
shown at the page's lines with the text the reader sees."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

PAGE = """\
# Extra

```python
import os

greeting = "hello from " + os.environ["KOYEB_URL"].split(":")[0]
print(greeting)
```

=== "Tab"

    ```{.python continuation}
    print(greeting.upper())
    ```

```python
def check():
    print("checking {{ service }}")
    raise RuntimeError("{{ service }} is down")


check()
```

```python
print(greeting)
```
"""


def test_blocks_run_in_order_and_fail_at_their_page_lines(
    project_copy: Callable[..., Path],
) -> None:
    root = project_copy()
    (root / "docs" / "extra.md").write_text(PAGE)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "docs/extra.md"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert "PASSED docs/extra.md::python[line:3]" in out
    assert "PASSED docs/extra.md::python[line:12]" in out
    assert "FAILED docs/extra.md::python[line:16]" in out
    assert "FAILED docs/extra.md::python[line:25]" in out
    # what a block prints is in its report; a continuation runs after the block it continues
    printed = re.findall(r"Captured stdout call -+\n(.*?)\n(?:_|=|docs: )", out, re.DOTALL)
    assert sorted(printed) == [
        "checking api",
        "hello from http",
        "hello from http\nHELLO FROM HTTP",
    ]
    # the traceback starts in the page, at its lines, with the rendered text
    page = str(root / "docs" / "extra.md")
    assert (
        "docs/extra.md:16: the Python block failed:\n"
        "   17  def check():\n"
        '   18      print("checking api")\n'
        '   19      raise RuntimeError("api is down")\n'
        "   20  \n"
        "   21  \n"
        "   22  check()\n"
        "Traceback (most recent call last):\n"
        f'  File "{page}", line 22, in <module>\n'
        "    check()\n"
        f'  File "{page}", line 19, in check\n'
        '    raise RuntimeError("api is down")\n'
        "RuntimeError: api is down\n"
    ) in out
    # a block without `continuation` starts from a fresh namespace
    assert "NameError: name 'greeting' is not defined" in out
    assert "docs: 4 code blocks, 4 executed," in out
    assert "2 failed, 5 passed" in out  # 4 blocks, and 3 page checks: macros, values, links
