"""Without Chromium the browser tests skip with a message, unless CI demands them (REQUIRE_BROWSER=1)."""

import pytest

from tests.browser import conftest


def test_missing_chromium_skips_with_a_message(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)

    with pytest.raises(pytest.skip.Exception) as skipped:
        conftest.require_chromium()

    assert str(skipped.value).startswith(f"Browser tests need Debian's Chromium at {tmp_path / 'chromium'}")
    assert "skipped on this machine" in str(skipped.value)


def test_missing_chromium_fails_when_ci_requires_the_browser(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.setenv("REQUIRE_BROWSER", "1")

    with pytest.raises(pytest.fail.Exception) as failed:
        conftest.require_chromium()

    assert "REQUIRE_BROWSER=1 is set" in str(failed.value)
