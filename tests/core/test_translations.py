"""Every text the code and templates show has a Thai translation: Thai is the default language."""
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def _translated(message):
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def test_every_message_has_a_thai_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
                                "-o", str(pot), str(ROOT)])
    with pot.open("rb") as handle:
        wanted = [m for m in read_po(handle) if m.id]
    with (ROOT / "app/translations/th/LC_MESSAGES/messages.po").open("rb") as handle:
        thai = read_po(handle)
    assert len(wanted) > 500  # the extraction really read the code and templates
    missing = [m.id for m in wanted if thai.get(m.id) is None or not _translated(thai.get(m.id))]
    assert missing == [], f"{len(missing)} texts without Thai; add them to messages.po: {missing[:5]}"
