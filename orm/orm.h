#pragma once
// The ORM's one include for application code: models (SQLRITE_MODEL), typed fields and
// expressions, queries and writes, Db and Transaction. See orm/README.md.

#include "orm/core/temporal.h"  // IWYU pragma: export
#include "orm/core/uuid.h"      // IWYU pragma: export
#include "orm/db.h"             // IWYU pragma: export
#include "orm/field.h"          // IWYU pragma: export
#include "orm/model.h"          // IWYU pragma: export
#include "orm/query.h"          // IWYU pragma: export
#include "orm/related.h"        // IWYU pragma: export
#include "orm/relation.h"       // IWYU pragma: export
