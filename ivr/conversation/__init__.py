"""A text's turn and a call's turn: the conversation service, SMS, voice turn-taking,
hold, fallback to a person, and closing a call."""
