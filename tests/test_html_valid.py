"""The Nu Html Checker (vnu.jar, npm package vnu-jar, run with the machine's Java) on every page type."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.page_types import page_paths

VNU_JAR = Path(
    os.environ.get(
        "VNU_JAR", settings.BASE_DIR / "var" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    )
)


def vnu_command():
    java = shutil.which("java")
    if java and VNU_JAR.exists():
        return [java, "-Xss4m", "-jar", str(VNU_JAR)]
    message = f"The HTML check needs Java and {VNU_JAR} (make vnu installs the npm package vnu-jar into var/node/)" + (
        "" if java else "; no java found"
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.mark.django_db
def test_every_page_type_is_valid_html(client, tmp_path):
    command = vnu_command()
    files = {}
    for language in ["de", "en"]:
        for name, path in page_paths(language):
            response = client.get(path)
            file = tmp_path / f"{language}-{name.replace(' ', '-')}.html"
            file.write_bytes(response.content)
            files[file.name] = (path, response.status_code)

    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        (files[Path(message["url"]).name][0], message.get("lastLine"), message["message"])
        for message in messages
        if message["type"] == "error"
    ]

    assert sorted({status for _, status in files.values()}) == [200, 400, 404]
    assert len(files) == 2 * len(page_paths("de"))
    assert errors == []
