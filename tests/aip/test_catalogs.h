// Hand-built field catalogs for the aip/ tests: one mirroring the Fireworks DpoJob resource,
// one "Book" with the shapes DpoJob lacks (repeated fields, maps, messages in arrays,
// durations, a field that is not filterable), plus a sample resource of each.
//   const aip::FieldCatalog& catalog = aip::testing::DpoJobCatalog();
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aip/field_catalog.h"

namespace conform::aip::testing {

inline std::vector<std::string> JobStates() {
  return {"JOB_STATE_UNSPECIFIED",  "JOB_STATE_CREATING",
          "JOB_STATE_RUNNING",      "JOB_STATE_COMPLETED",
          "JOB_STATE_FAILED",       "JOB_STATE_CANCELLED",
          "JOB_STATE_DELETING",     "JOB_STATE_WRITING_RESULTS",
          "JOB_STATE_VALIDATING",   "JOB_STATE_DELETING_CLEANING_UP",
          "JOB_STATE_PENDING",      "JOB_STATE_EXPIRED",
          "JOB_STATE_RE_QUEUEING",  "JOB_STATE_CREATING_INPUT_DATASET",
          "JOB_STATE_IDLE",         "JOB_STATE_CANCELLING",
          "JOB_STATE_EARLY_STOPPED"};
}

inline FieldCatalog MakeDpoJobCatalog() {
  FieldCatalog c;
  const auto add = [&c](std::string path, FieldType type) {
    const bool container = type == FieldType::kMessage || type == FieldType::kMap;
    c.Add({.path = std::move(path), .type = type, .sortable = !container});
  };
  add("name", FieldType::kString);
  add("displayName", FieldType::kString);
  add("createTime", FieldType::kTimestamp);
  add("completedTime", FieldType::kTimestamp);
  add("dataset", FieldType::kString);
  c.Add({.path = "state", .type = FieldType::kEnum, .enum_values = JobStates()});
  add("status", FieldType::kMessage);
  c.Add({.path = "status.code",
         .type = FieldType::kEnum,
         .enum_values = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                         "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "UNAUTHENTICATED",
                         "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
                         "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS"}});
  add("status.message", FieldType::kString);
  add("createdBy", FieldType::kString);
  add("trainingConfig", FieldType::kMessage);
  add("trainingConfig.outputModel", FieldType::kString);
  add("trainingConfig.baseModel", FieldType::kString);
  add("trainingConfig.warmStartFrom", FieldType::kString);
  add("trainingConfig.jinjaTemplate", FieldType::kString);
  add("trainingConfig.learningRate", FieldType::kNumber);
  add("trainingConfig.maxContextLength", FieldType::kInteger);
  add("trainingConfig.loraRank", FieldType::kInteger);
  c.Add({.path = "trainingConfig.region",
         .type = FieldType::kEnum,
         .enum_values = {"REGION_UNSPECIFIED", "US_IOWA_1", "US_VIRGINIA_1", "US_ILLINOIS_1",
                         "AP_TOKYO_1"}});
  add("trainingConfig.epochs", FieldType::kInteger);
  add("trainingConfig.batchSize", FieldType::kInteger);
  add("trainingConfig.gradientAccumulationSteps", FieldType::kInteger);
  add("trainingConfig.learningRateWarmupSteps", FieldType::kInteger);
  add("wandbConfig", FieldType::kMessage);
  add("wandbConfig.enabled", FieldType::kBoolean);
  add("wandbConfig.apiKey", FieldType::kString);
  add("wandbConfig.project", FieldType::kString);
  add("wandbConfig.entity", FieldType::kString);
  add("wandbConfig.runId", FieldType::kString);
  add("wandbConfig.url", FieldType::kString);
  return c;
}

inline const FieldCatalog& DpoJobCatalog() {
  static const FieldCatalog* const catalog = new FieldCatalog(MakeDpoJobCatalog());
  return *catalog;
}

inline FieldCatalog MakeBookCatalog() {
  FieldCatalog c;
  c.Add({.path = "name", .type = FieldType::kString});
  c.Add({.path = "title", .type = FieldType::kString});
  c.Add({.path = "tags", .type = FieldType::kString, .repeated = true, .sortable = false});
  c.Add({.path = "ratings", .type = FieldType::kInteger, .repeated = true, .sortable = false});
  c.Add({.path = "labels", .type = FieldType::kMap, .sortable = false});
  c.Add({.path = "authors", .type = FieldType::kMessage, .repeated = true, .sortable = false});
  c.Add({.path = "authors.name", .type = FieldType::kString});
  c.Add({.path = "authors.age", .type = FieldType::kInteger});
  c.Add({.path = "timeout", .type = FieldType::kDuration});
  c.Add({.path = "publishTime", .type = FieldType::kTimestamp});
  c.Add({.path = "price", .type = FieldType::kNumber});
  c.Add({.path = "pages", .type = FieldType::kInteger});
  c.Add({.path = "inStock", .type = FieldType::kBoolean});
  c.Add({.path = "genre",
         .type = FieldType::kEnum,
         .enum_values = {"GENRE_UNSPECIFIED", "FICTION", "HISTORY", "ALGEBRA"}});
  c.Add({.path = "secret", .type = FieldType::kString, .sortable = false, .filterable = false});
  return c;
}

inline const FieldCatalog& BookCatalog() {
  static const FieldCatalog* const catalog = new FieldCatalog(MakeBookCatalog());
  return *catalog;
}

// A running job; completedTime, loraRank, apiKey and url are absent.
inline nlohmann::json SampleDpoJob() {
  return nlohmann::json::parse(R"({
    "name": "accounts/acme/dpoJobs/job-1",
    "displayName": "nightly-dpo-run",
    "createTime": "2023-11-07T05:31:56Z",
    "dataset": "accounts/acme/datasets/prefs",
    "state": "JOB_STATE_RUNNING",
    "status": {"code": "OK", "message": "running"},
    "createdBy": "ann@example.com",
    "trainingConfig": {
      "baseModel": "accounts/fireworks/models/llama-v3-8b",
      "learningRate": 0.0001,
      "maxContextLength": 8192,
      "region": "US_IOWA_1",
      "epochs": 3
    },
    "wandbConfig": {"enabled": true, "project": "dpo"}
  })");
}

inline nlohmann::json SampleBook() {
  return nlohmann::json::parse(R"({
    "name": "books/1",
    "title": "C*-algebras",
    "tags": ["math", "algebra"],
    "ratings": [4, 5],
    "labels": {"env": "prod", "tier": 2, "beta": true},
    "authors": [{"name": "Ann", "age": 40}, {"name": "Bob"}],
    "timeout": "3.5s",
    "publishTime": "2020-02-29T12:00:00+05:30",
    "price": 12.5,
    "pages": "9007199254740993",
    "inStock": false,
    "genre": "HISTORY"
  })");
}

}  // namespace conform::aip::testing
