-- Objects compared as their JSON text (5a00000b-0000-4000-8000-00000000000b)
-- rules/objects_as_text.yml:9:9: error: rule 'Objects compared as their JSON text' (5a00000b-0000-4000-8000-00000000000b): field 'requestParameters' cannot be converted to cloudtrail-lake: `requestParameters` is a map<string,string> in CloudTrail Lake: it has no JSON text to compare (D1)

-- Objects compared as their JSON text with strings unescaped (5a00000c-0000-4000-8000-00000000000c)
-- rules/objects_as_text.yml:22:9: error: rule 'Objects compared as their JSON text with strings unescaped' (5a00000c-0000-4000-8000-00000000000c): field 'requestParameters' cannot be converted to cloudtrail-lake: `requestParameters` is a map<string,string> in CloudTrail Lake: it has no JSON text to compare (D1)

-- Escaped characters of an object's text (5a00000d-0000-4000-8000-00000000000d)
-- rules/objects_as_text.yml:35:9: error: rule 'Escaped characters of an object's text' (5a00000d-0000-4000-8000-00000000000d): field 'requestParameters' cannot be converted to cloudtrail-lake: `requestParameters` is a map<string,string> in CloudTrail Lake: it has no JSON text to compare (D1)

