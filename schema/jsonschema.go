package schema

import _ "embed"

// JSONSchema is the JSON Schema (draft 2020-12) of wigen.yaml, the file
// wigen.schema.json beside this source. Editors use it through a
// "# yaml-language-server: $schema=..." line; `wigen schema` prints it.
//
//go:embed wigen.schema.json
var JSONSchema []byte
