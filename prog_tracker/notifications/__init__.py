"""Web Push reminders: VAPID keys, subscriptions, what is due, sending it once."""
