"""Small rules of English that messages share, so every page and service words them the same way."""


def article(word: str) -> str:
    """ "An" before a vowel ("An Amber rating"), else "A" ("A Red rating")."""
    return "An" if word[:1].lower() in "aeiou" else "A"
