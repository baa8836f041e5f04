"""Sign-in, roles, users and API tokens: who someone is and what they may do."""
