"""The audit trail (操作日志): which account changed what outside circulation, and when."""
