"""Notices to readers (通知): an outbox that later channels (SMS, e-mail, app) deliver."""
