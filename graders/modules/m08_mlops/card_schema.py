"""The JSON schema a model card must validate against: the same dict as MODEL_CARD_SCHEMA in the notebook's
setup cell (tests/modules/test_m08_mlops.py keeps the two equal)."""

MODEL_CARD_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["model_details", "intended_use", "training_data", "evaluation_data", "metrics", "slices",
                 "limitations", "insufficient_data"],
    "properties": {
        "model_details": {"type": "object", "additionalProperties": False, "required": ["name", "version"],
                          "properties": {"name": {"type": "string"}, "version": {"type": "string"}}},
        "intended_use": {"type": "string"},
        "training_data": {"type": "string"},
        "evaluation_data": {"type": "object", "additionalProperties": False, "required": ["n", "positive_rate"],
                            "properties": {"n": {"type": "integer", "minimum": 0},
                                           "positive_rate": {"type": "number", "minimum": 0, "maximum": 1}}},
        "metrics": {"type": "object", "additionalProperties": False,
                    "required": ["threshold", "accuracy", "precision", "recall", "roc_auc"],
                    "properties": {"threshold": {"type": "number"},
                                   "accuracy": {"type": "number", "minimum": 0, "maximum": 1},
                                   "precision": {"type": "number", "minimum": 0, "maximum": 1},
                                   "recall": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                                   "roc_auc": {"type": ["number", "null"], "minimum": 0, "maximum": 1}}},
        "slices": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["slice", "n", "positive_rate", "accuracy", "recall", "roc_auc"],
            "properties": {"slice": {"type": "string"}, "n": {"type": "integer", "minimum": 1},
                           "positive_rate": {"type": "number", "minimum": 0, "maximum": 1},
                           "accuracy": {"type": "number", "minimum": 0, "maximum": 1},
                           "recall": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                           "roc_auc": {"type": ["number", "null"], "minimum": 0, "maximum": 1}}}},
        "limitations": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["slice", "metric", "value", "overall", "gap"],
            "properties": {"slice": {"type": "string"}, "metric": {"const": "recall"}, "value": {"type": "number"},
                           "overall": {"type": "number"}, "gap": {"type": "number"}}}},
        "insufficient_data": {"type": "array", "items": {"type": "string"}},
    },
}
