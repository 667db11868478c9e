"""Everything that brings a person in: staff texts, warm transfers, the agent's leg and
spoken summary, the SMS bridge, voicemail, follow-ups, feedback and CRM export."""
