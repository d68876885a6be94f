// COMMENT ON { TABLE | VIEW | SEQUENCE | INDEX | COLUMN | CONSTRAINT ... ON | SCHEMA | DATABASE }
// name IS 'text' | NULL, as PostgreSQL's CommentStmt names its object (gram.y's
// comment_type_any_name / COLUMN any_name / CONSTRAINT name ON any_name / comment_type_name).

#include <string>
#include <utility>

#include "engine/sql/transformer.h"

namespace sqlrite::engine::sql {

namespace {

const char* CommentObjectName(PgQuery__ObjectType type) {
  switch (type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
      return "COMMENT ON FUNCTION";
    case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
      return "COMMENT ON TYPE";
    case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION:
      return "COMMENT ON EXTENSION";
    case PG_QUERY__OBJECT_TYPE__OBJECT_ROLE:
      return "COMMENT ON ROLE";
    case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
      return "COMMENT ON MATERIALIZED VIEW";
    case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
      return "COMMENT ON TRIGGER";
    case PG_QUERY__OBJECT_TYPE__OBJECT_DOMCONSTRAINT:
      return "COMMENT ON CONSTRAINT ... ON DOMAIN";
    default:
      return "this COMMENT ON form";
  }
}

}  // namespace

Result<ast::Statement> Transformer::TransformComment(const PgQuery__CommentStmt& stmt) {
  ast::Comment comment{};
  if (stmt.comment != nullptr) comment.text = std::string(stmt.comment);
  const PgQuery__Node* object = stmt.object;
  const PgQuery__List* list =
      object != nullptr && object->node_case == PG_QUERY__NODE__NODE_LIST ? object->list : nullptr;
  switch (stmt.objtype) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
    case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: {
      if (list == nullptr || list->n_items == 0) return Unsupported("this COMMENT ON form");
      comment.kind = stmt.objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE  ? ast::Comment::kTable
                     : stmt.objtype == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW ? ast::Comment::kView
                     : stmt.objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE
                         ? ast::Comment::kSequence
                         : ast::Comment::kIndex;
      SQLRITE_ASSIGN_OR_RETURN(comment.relation, TwoPartName(list->items, list->n_items));
      break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN: {
      if (list == nullptr || list->n_items == 0) return Unsupported("this COMMENT ON form");
      // As PostgreSQL's get_object_address_attribute: the last name is the column's.
      if (list->n_items < 2) {
        return Fail(sqlstate::kSyntaxError, "column name must be qualified");
      }
      comment.kind = ast::Comment::kColumn;
      comment.name = NodeString(list->items[list->n_items - 1]);
      SQLRITE_ASSIGN_OR_RETURN(comment.relation, TwoPartName(list->items, list->n_items - 1));
      break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT: {
      // CONSTRAINT c ON t: the table's name list, then the constraint's name.
      if (list == nullptr || list->n_items < 2) return Unsupported("this COMMENT ON form");
      comment.kind = ast::Comment::kConstraint;
      comment.name = NodeString(list->items[list->n_items - 1]);
      SQLRITE_ASSIGN_OR_RETURN(comment.relation, TwoPartName(list->items, list->n_items - 1));
      break;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
    case PG_QUERY__OBJECT_TYPE__OBJECT_DATABASE:
      if (object == nullptr || object->node_case != PG_QUERY__NODE__NODE_STRING) {
        return Unsupported("this COMMENT ON form");
      }
      comment.kind = stmt.objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA ? ast::Comment::kSchema
                                                                          : ast::Comment::kDatabase;
      comment.name = NodeString(object);
      break;
    case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE: {
      if (object == nullptr || object->node_case != PG_QUERY__NODE__NODE_TYPE_NAME) {
        return Unsupported("this COMMENT ON form");
      }
      const PgQuery__TypeName& t = *object->type_name;
      comment.kind = ast::Comment::kType;
      SQLRITE_ASSIGN_OR_RETURN(comment.relation, TwoPartName(t.names, t.n_names));
      comment.relation.location = t.location;
      break;
    }
    default:
      return Unsupported(CommentObjectName(stmt.objtype));
  }
  return ast::Statement(std::move(comment));
}

}  // namespace sqlrite::engine::sql
