"""atheris harness: any bytes must give smart lists or input errors, through a loader alone or
through the whole `lint` command.

    python fuzz/fuzz_loaders.py json|yaml|text [atheris/libFuzzer options, e.g. -atheris_runs=400000 fuzz/corpus/json]
    python fuzz/fuzz_loaders.py cli [options] fuzz/corpus/json fuzz/corpus/yaml fuzz/corpus/text

`cli` runs the function behind `smartlint lint` in this process on a temporary file (the first
byte of the input picks the form, json/yaml/text, and the output format), with its output
captured: the exit code must be 0, 1 or 2, the guard at the top of the command must not have
caught anything (no "internal error"), and a JSON report must parse.

A crash (an exception, or a failed assertion) stops the run with the input saved as crash-*; each
one becomes a regression test in tests/test_robustness.py and its input goes to fuzz/corpus
(regression-*: the inputs of issue 12's crash classes; tests/test_robustness.py runs every corpus
file through the real command).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from smartlint.model import Document, Form
    from smartlint.sources.json_form import load_json
    from smartlint.sources.text_form import load_text
    from smartlint.sources.yaml_form import load_yaml

    if len(sys.argv) > 1 and sys.argv[1] == "cli":
        import smartlint.checks  # noqa: F401 - instrumented too
        import smartlint.engine  # noqa: F401
        from smartlint.cli import run

LOADERS = {"json": (Form.JSON, load_json), "yaml": (Form.YAML, load_yaml), "text": (Form.TEXT, load_text)}
CLI_FORMS = (".json", ".yaml", ".smartlist")
CLI_FORMATS = ("json", "text", "sarif", "github", "junit")


def loader_input(form: Form, loader) -> callable:
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

    return test_one_input


def cli_input(folder: str) -> callable:
    def test_one_input(data: bytes) -> None:
        if not data:
            return
        suffix = CLI_FORMS[data[0] % 3]
        output = CLI_FORMATS[(data[0] // 3) % len(CLI_FORMATS)]
        path = os.path.join(folder, f"input{suffix}")
        with open(path, "wb") as handle:
            handle.write(data[1:])
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(["lint", "--format", output, "-j", "1", path])
        assert code in (0, 1, 2), (code, err.getvalue())
        assert "internal error" not in err.getvalue() and "Traceback" not in err.getvalue(), err.getvalue()
        if output == "json":
            json.loads(out.getvalue())

    return test_one_input


def main() -> None:
    mode = sys.argv.pop(1)
    if mode == "cli":
        test_one_input = cli_input(tempfile.mkdtemp(prefix="smartlint-fuzz-"))
    else:
        test_one_input = loader_input(*LOADERS[mode])
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
