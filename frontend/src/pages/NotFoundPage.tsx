import { Link, Typography } from "@mui/material";
import { Link as RouterLink } from "react-router-dom";

export function NotFoundPage() {
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Page not found
      </Typography>
      <Typography>
        Nothing lives at this address. Go to{" "}
        <Link component={RouterLink} to="/providers">
          your providers
        </Link>
        .
      </Typography>
    </>
  );
}
