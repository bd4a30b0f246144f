"""Only what pyproject.toml cannot say: ship the top-level rules/ and templates/ folders
inside the package, beside the packages setuptools finds under engine/; and compile the
message catalogs (engine/locale/*/LC_MESSAGES/*.po) into the .mo files a wheel carries."""
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import find_packages, setup
from setuptools.command.build_py import build_py


class build_py_with_catalogs(build_py):
    """build_py, then each copied .po catalog replaced by its compiled .mo (with Babel): the
    wheel carries the compiled catalogs only. An editable install keeps reading the .po files
    where they are (engine/catalogs.py compiles them in memory), so nothing is written there."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for po in sorted(Path(self.build_lib, "engine", "locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as stream:
                catalog = read_po(stream, abort_invalid=True)
            out = io.BytesIO()
            write_mo(out, catalog, use_fuzzy=False)
            po.with_suffix(".mo").write_bytes(out.getvalue())
            po.unlink()


setup(packages=find_packages(include=["engine", "engine.*"]) + ["engine._rules", "engine._templates"],
      cmdclass={"build_py": build_py_with_catalogs})
