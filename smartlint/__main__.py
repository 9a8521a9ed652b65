"""`python -m smartlint` and the `smartlint` command.

The cyclic garbage collector is off for the whole process, from before the imports: a run builds
millions of small acyclic objects (the model, then the findings and the report), which reference
counting frees, and the collector would only scan them over and over. With it back on after
linting, 12 full collections scanned the model during output (~1.3 s of 12 s on 10,000 lists).
`pull` turns it back on: its network stack makes reference cycles and it runs for hours.
"""

import gc

gc.disable()

from .cli import main  # noqa: E402 - after the collector is off, so that imports run without it

if __name__ == "__main__":
    main()
