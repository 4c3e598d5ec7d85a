"""Password policy: one check used by every way a password is set (CLI, change form, demo seed)."""
from flask import current_app
from flask_babel import lazy_gettext as _l

# Passwords people pick first, at or above the minimum length (shorter ones fail on length anyway).
# Includes the Thai Kedmanee keyboard's versions of the classics: what "1234567890", "qwertyuiop",
# "asdfghjkl;" and "password" give when typed with the Thai layout on, and "รหัสผ่าน" typed with
# the English layout on.
COMMON_PASSWORDS = frozenset({
    "password123", "password1234", "password12345", "passw0rd123", "p@ssw0rd123", "p@ssword123",
    "1234567890", "0987654321", "12345678910", "1234567890a", "a1234567890", "123456789a",
    "1111111111", "0000000000", "1212121212", "1122334455", "1234512345", "9876543210",
    "qwertyuiop", "qwerty1234", "qwerty12345", "qwerty123456", "1q2w3e4r5t", "1qaz2wsx3edc",
    "asdfghjkl;", "asdfghjkl1", "zxcvbnm123", "asdf123456", "abc1234567", "abcd123456",
    "iloveyou123", "iloveyou1234", "welcome123", "letmein123", "admin12345", "administrator",
    "changeme123", "trustno1234", "football123", "sunshine123", "princess123", "superman123",
    "thailand123", "thailand1234", "bangkok123", "bangkok1234", "songkhla123", "hatyai1234",
    "sawasdee123", "sawadee1234", "sawasdee1234", "rakjung123", "chanraktur", "ruamkan123",
    "ruamkan1234", "police1234", "police12345", "tamruat123",
    "ๅ/-ภถุึคตจ", "ๆไำพะัีรนย", "ฟหกดเ้่าสว", "ยฟหหไนพก123", "isylzjko12", "isylzjko123",
    "รหัสผ่าน1234", "รหัสผ่าน12345", "สวัสดีครับ123", "สวัสดีค่ะ123",
})

_MESSAGES = {
    "username": _l("The password must not contain your username."),
    "common": _l("This password is one of the most common ones; choose another."),
    "pattern": _l("Do not use one repeated character or a simple run such as 1234567890."),
}


class PasswordPolicyError(ValueError):
    """A password that the policy refuses; .problems holds one message per broken rule."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(" ".join(str(p) for p in problems))


def password_problems(password, username=None):
    """Return the policy's messages for this password (an empty list when it is acceptable)."""
    password = password or ""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    lowered = password.lower()
    problems = []
    if len(password) < minimum:
        problems.append(_l("Use at least %(n)d characters.", n=minimum))
    # a one- or two-letter username would forbid half the alphabet, so only longer ones count
    name = (username or "").strip().lower()
    if len(name) >= 3 and name in lowered:
        problems.append(_MESSAGES["username"])
    if lowered in COMMON_PASSWORDS:
        problems.append(_MESSAGES["common"])
    elif _is_simple_pattern(lowered):
        problems.append(_MESSAGES["pattern"])
    return problems


def check_password_policy(password, username=None):
    """Raise PasswordPolicyError when the password breaks the policy."""
    problems = password_problems(password, username)
    if problems:
        raise PasswordPolicyError(problems)


def _is_simple_pattern(text):
    """True for one repeated character, or a run of consecutive digits or letters either way."""
    if len(set(text)) <= 1:
        return True
    if not (text.isdigit() or text.isalpha()) or not text.isascii():
        return False
    pairs = zip(text, text[1:], strict=False)
    steps = {(ord(b) - ord(a)) % 10 if text.isdigit() else ord(b) - ord(a) for a, b in pairs}
    return steps in ({1}, {9}, {-1})  # digits wrap: 7890 and 0987 are runs too
