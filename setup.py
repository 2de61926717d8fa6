"""Ship the project's top-level `resources/` folder inside the package, as `dtbd_desktop/resources`.

Everything else is in pyproject.toml. The source tree keeps the resources beside the package (the
brief's layout); a wheel carries them inside it, where `dtbd_desktop.base.paths.resource_root`
finds them, as it finds them in the source tree and in the frozen bundle.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).resolve().parent / "resources"
        target = Path(self.build_lib) / "dtbd_desktop" / "resources"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithResources})
