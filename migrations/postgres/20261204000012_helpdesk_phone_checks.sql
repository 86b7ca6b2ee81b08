-- The helpdesk verifies a caller by a code sent to their phone: a phone challenge
-- of its own purpose ('helpdesk'), bound to the agent's sign-in, that never signs
-- anyone in. caller_verifications.way gains 'text_code' and 'call_code'.
-- Keep in step with the other engine's file of the same name.
ALTER TABLE phone_challenges DROP CONSTRAINT phone_challenges_purpose_check;
ALTER TABLE phone_challenges ADD CONSTRAINT phone_challenges_purpose_check
    CHECK (purpose IN ('enrol', 'sign_in', 'confirm', 'helpdesk'));
