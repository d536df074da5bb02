-- wrk script: valid POST /session/create with the default development keys.
-- Usage: wrk -t2 -c64 -d10s -s .ci/load/session_create.lua http://127.0.0.1:8080
wrk.method = "POST"
wrk.path = "/session/create"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Basic a25vdG1vY2tfY2xpZW50X2lkOmtub3Rtb2NrX3NlY3JldA=="
wrk.body = '{"type":"card_switcher","external_user_id":"123abc","card_id":"81n9al10a0ayn13","email":"ada.lovelace@gmail.com","phone_number":"+11234567890","processor_token":null,"metadata":{"reference_token":"abc123","trace_id":"def456"}}'
