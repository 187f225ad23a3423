"""Hostile YAML shared by the input tests."""


def bomb(levels: int) -> str:
    """A "billion laughs" flow list: 9**(levels + 1) strings once its aliases are expanded."""
    text = "&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"
    for i in range(1, levels + 1):
        text = f"&l{i} [{text}, " + ", ".join([f"*l{i - 1}"] * 8) + "]"
    return text
