/* idp_math: the constant the library's geometry shares (angles of lines,
 * sectors around a glare, the cosine table of the image hash, the areas
 * of round regions). Internal to libidpack. */
#ifndef IDP_MATH_H
#define IDP_MATH_H

#define IDP_PI 3.14159265358979323846

#endif
