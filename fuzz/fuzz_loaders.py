"""atheris harness for the three loaders: any bytes must give smart lists or input errors.

    python fuzz/fuzz_loaders.py json|yaml|text [atheris/libFuzzer options, e.g. -atheris_runs=400000 fuzz/corpus/json]

A crash (any exception out of a loader) stops the run with the input saved as crash-*; each one
becomes a regression test in tests/test_robustness.py.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from smartlint.model import Document, Form
    from smartlint.sources.json_form import load_json
    from smartlint.sources.text_form import load_text
    from smartlint.sources.yaml_form import load_yaml

LOADERS = {"json": (Form.JSON, load_json), "yaml": (Form.YAML, load_yaml), "text": (Form.TEXT, load_text)}


def main() -> None:
    form, loader = LOADERS[sys.argv.pop(1)]

    def test_one_input(data: bytes) -> None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return  # read_text turns undecodable bytes into SL001 before any loader runs
        document = Document("fuzz", form)
        try:
            loader(text, document)
        except RecursionError:
            return  # load() turns this into SL001 (see sources.load)
        for error in document.errors:
            assert error.code in ("SL001", "SL002"), error

    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
