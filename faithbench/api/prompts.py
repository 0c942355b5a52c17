"""Prompts as chat messages, so one cue definition serves chat models and base models alike."""

from __future__ import annotations

from dataclasses import dataclass

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Message:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Prompt:
    """A conversation plus an optional prefill: text the assistant's turn is forced to start with."""

    messages: tuple[Message, ...]
    prefill: str = ""

    @classmethod
    def user(cls, text: str, prefill: str = "") -> Prompt:
        return cls((Message("user", text),), prefill)

    @classmethod
    def from_dicts(cls, messages: list[dict], prefill: str = "") -> Prompt:
        """The inverse of ``as_dicts``: a conversation as stored in a record."""
        return cls(tuple(Message(m["role"], m["content"]) for m in messages), prefill)

    def with_prefill(self, prefill: str) -> Prompt:
        return Prompt(self.messages, prefill)

    def then(self, assistant: str, user: str, prefill: str = "") -> Prompt:
        """Continue the conversation: the assistant said ``assistant``, the user replies ``user``."""
        said = self.prefill + assistant
        return Prompt(self.messages + (Message("assistant", said), Message("user", user)), prefill)

    def as_dicts(self) -> list[dict[str, str]]:
        return [{"role": m.role, "content": m.content} for m in self.messages]

    def as_text(self) -> str:
        """Plain-text rendering for base (non-chat) models.

        A single user turn is sent verbatim (the paper prompts end in "Let's think step by step:"),
        longer conversations get Human/Assistant labels.
        """
        if len(self.messages) == 1 and self.messages[0].role == "user":
            body = self.messages[0].content
            return body + (" " + self.prefill if self.prefill else "")
        parts = []
        for m in self.messages:
            label = {"user": "Human", "assistant": "Assistant"}.get(m.role, m.role.capitalize())
            parts.append(f"{label}: {m.content}")
        parts.append("Assistant:" + (" " + self.prefill if self.prefill else ""))
        return "\n\n".join(parts)


def letter(index: int) -> str:
    return LETTERS[index]


def format_options(options: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"({letter(i)}) {text}" for i, text in enumerate(options))
