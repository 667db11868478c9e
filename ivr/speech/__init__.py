"""Speech: Vosk transcription over Media Streams, pyttsx3 rendering, telephone audio, models.

`audio` (mu-law, resampling, WAV), `endpoint` (when a caller stops), `vosk` (the shared model
and per-call recognisers), `confidence`, `listener` (one stream's ear), `call_stream` (a live
call's stream and its hooks), `tts` (rendered summaries), `models` (`ivr models install`).
Heavy libraries (vosk, pyttsx3) load only when used.
"""
