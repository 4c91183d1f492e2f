"""The pages: the public directory now; coordinators' and volunteers' pages to come."""
