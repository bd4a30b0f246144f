"""Only what pyproject.toml cannot say: ship the top-level rules/ and templates/ folders
inside the package, beside the packages setuptools finds under engine/."""
from setuptools import find_packages, setup

setup(packages=find_packages(include=["engine", "engine.*"]) + ["engine._rules", "engine._templates"])
