"""The flow core: YAML flows in, decisions out. Pure: no I/O library is imported under here.

Like Flask's sans-io core, nothing here reads a socket, a clock or a database: the caller passes
the time, the channel and the customer's facts in `Context`, and gets back the new state and a
list of `Action`s for the adapters (TwiML, SMS, transfer, jobs) to carry out.
"""
